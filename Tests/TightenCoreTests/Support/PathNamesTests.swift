import Foundation
import Testing
import TightenTestSupport

@testable import TightenCore

@Suite("Path names and pieces of text, worked out without Foundation")
struct PathNamesTests {
  @Test(
    "standardized: from the root, . dropped, .. taking the component before; relative paths from the working folder")
  func standardized() {
    #expect(PathNames.standardized("/a/./b/../c//d/") == "/a/c/d")
    #expect(PathNames.standardized("/..") == "/")
    #expect(PathNames.components("/a/b/c.json") == ["a", "b", "c.json"])
    let here = Platform.currentDirectory()!
    #expect(PathNames.standardized("x/../y.json") == (here == "/" ? "" : here) + "/y.json")
    #expect(PathNames.folder(of: "/t/stack.template.json") == "/t")
    #expect(PathNames.folder(of: "/stack.json") == "/")
  }

  @Test("a file's folder as written: the text before its last slash, / at the root, . with no slash")
  func fileFolder() {
    #expect(FileWriter.folder(of: "trails/eu-west-1/2026/f.json.gz") == "trails/eu-west-1/2026")
    #expect(FileWriter.folder(of: "/f.json.gz") == "/")
    #expect(FileWriter.folder(of: "f.json.gz") == ".")
    #expect(FileWriter.folder(of: "Prüfung/é/ü.json") == "Prüfung/é")
    #expect(FileWriter.folder(of: "a/") == "a")
  }

  @Test("the last component, a trailing slash ignored")
  func lastComponent() {
    #expect(PathNames.lastComponent("a/b.json") == "b.json")
    #expect(PathNames.lastComponent("a/b.json/") == "b.json")
    #expect(PathNames.lastComponent("b.yaml") == "b.yaml")
    #expect(PathNames.lastComponent("/") == "/")
  }

  @Test("pieces: empty pieces kept, occurrences left to right without overlap, an empty separator gives the text")
  func pieces() {
    #expect("a,,b".pieces(separatedBy: ",") == ["a", "", "b"])
    #expect(",a,".pieces(separatedBy: ",") == ["", "a", ""])
    #expect("fe80::1::2".pieces(separatedBy: "::") == ["fe80", "1", "2"])
    #expect(":::".pieces(separatedBy: "::") == ["", ":"])
    #expect("abc".pieces(separatedBy: "") == ["abc"])
    #expect("é|ü|x".pieces(separatedBy: "|") == ["é", "ü", "x"])
    #expect("".pieces(separatedBy: ",") == [""])
  }

  @Test("makeFolders: the folders above made too; a file in the way is said")
  func makeFolders() throws {
    let url = try Fixtures.temporaryFolder()
    let folder = url.path
    try Platform.makeFolders(folder + "/a/b/c")
    #expect(try Platform.status(folder + "/a/b/c").kind == .directory)
    try Platform.makeFolders(folder + "/a/b/c")  // there already: fine
    _ = try Fixtures.write("x", to: "f", in: url)
    #expect(throws: Platform.SystemError(code: ENOTDIR)) { try Platform.makeFolders(folder + "/f") }
    #expect(throws: Platform.SystemError(code: ENOTDIR)) { try Platform.makeFolders(folder + "/f/g") }
  }
}
