/// A value kept on the heap, copied on write: for a task's rarely used,
/// large fields (an allocation or a `touch` op under way), so that the
/// task record, of which a big scenario holds a million, carries one
/// pointer for them instead of the whole value (docs/performance.md,
/// "Session 6"). Tasks that share a box after a copy (a keyframe, a fork)
/// each get their own on their first write; a write to a box only one task
/// holds changes it in place.
final class OutOfLine<Value: Equatable & Sendable>: Equatable, @unchecked Sendable {
    // @unchecked: the value is changed only through `OutOfLine.write`, and
    // only when the box is not shared, so no two holders ever see a write.
    private(set) var value: Value

    init(_ value: Value) { self.value = value }

    static func == (a: OutOfLine, b: OutOfLine) -> Bool { a === b || a.value == b.value }

    /// Stores `newValue` in `box`: in place when the box is not shared, in a
    /// new box otherwise; nil drops the box.
    static func write(_ newValue: Value?, into box: inout OutOfLine?) {
        guard let newValue else {
            box = nil
            return
        }
        if isKnownUniquelyReferenced(&box) {
            box?.value = newValue
        } else {
            box = OutOfLine(newValue)
        }
    }
}
