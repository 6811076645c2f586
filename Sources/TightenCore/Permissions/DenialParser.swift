/// Reads refused calls: whether an error code is a refusal, which permission
/// an AccessDenied message names, and which of a call's permissions it marks.
struct DenialParser: Sendable {
  let catalog: Catalog

  /// Whether the error code is one of a refused call (`AccessDenied`, `UnauthorizedOperation`, …).
  func isDenied(_ code: UnsafeBufferPointer<UInt8>) -> Bool {
    catalog.isDeniedCode(String(decoding: code, as: UTF8.self))
  }

  /// The action and resource an AccessDenied message names, if it names them
  /// and the action is a real one: `… is not authorized to perform: iam:PassRole
  /// on resource: arn:aws:iam::1:role/x because …` → (`iam:PassRole`, the role).
  func deniedPermission(message: String?) -> (action: String, resource: String?)? {
    guard let message,
      let at = message.firstRange(of: "not authorized to perform: ")
        ?? message.firstRange(of: "not authorized to perform ")
    else { return nil }
    let rest = message[at.upperBound...]
    let token = rest.prefix { !$0.isWhitespace && $0 != "," && $0 != ";" }
    var actionText = String(token)
    while actionText.hasSuffix(".") { actionText.removeLast() }
    guard let action = catalog.action(actionText) else { return nil }
    var resource: String? = nil
    if let on = rest.firstRange(of: " on resource: ") ?? rest.firstRange(of: " on resource ") {
      let tail = rest[on.upperBound...]
      var value = String(tail.prefix { !$0.isWhitespace })
      while value.hasSuffix(".") || value.hasSuffix(",") { value.removeLast() }
      // `*` is what AWS says for a call on no particular resource; an ARN it names is literal.
      if !value.isEmpty { resource = value == "*" ? value : LiteralText.escaped(value) }
    }
    return (action.name, resource)
  }

  /// Marks what a refused call was refused for: the permission the message
  /// names (taking its resource when the call had one row of that action, else
  /// adding it), or every permission but the implied `iam:PassRole` when the
  /// message names none.
  func markDenied(
    _ out: inout [MappedPermission], named: (action: String, resource: String?)?, plan: CallPlan
  ) {
    let passRole = ActionName.passRole.description
    guard let named else {
      for i in out.indices where out[i].action != passRole { out[i].denied = true }
      return
    }
    let same = out.indices.filter { out[$0].action == named.action }
    if let resource = named.resource {
      if let exact = same.first(where: { out[$0].resource == resource }) {
        out[exact].denied = true
        return
      }
      if same.count == 1 {
        // AWS says what it evaluated: trust the message's resource.
        out[same[0]].resource = resource
        out[same[0]].denied = true
        return
      }
    } else if !same.isEmpty {
      for i in same { out[i].denied = true }
      return
    }
    let passedTo = named.action == passRole ? (plan.passRoles.first?.service ?? "") : ""
    out.append(
      MappedPermission(action: named.action, resource: named.resource ?? "*", denied: true, passedTo: passedTo))
  }
}
