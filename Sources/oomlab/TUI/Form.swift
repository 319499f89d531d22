import OOMLabKernel

/// A small form: labelled fields, one focused, and the last validation error.
/// Forms are values inside `AppState`; `FormView` draws them.
struct Form: Equatable, Sendable {
    enum Purpose: Equatable, Sendable {
        case addTask
        case addLock
        case takeLock(pid: Int)
        case releaseLock(pid: Int)
        case setOOMScoreAdj(pid: Int)
        /// mkdir a cgroup or write one of its limit files.
        case cgroup
        case save
    }

    struct Field: Equatable, Sendable {
        enum Kind: Equatable, Sendable {
            case text(maxLength: Int)
            case number
            case choice([String])
        }
        var label: String
        var kind: Kind
        var value: String
        var hint: String = ""

        /// Types a character, if the field takes it.
        mutating func type(_ c: Character) {
            switch kind {
            case .text(let max):
                if value.count < max, c.isASCII || c.isLetter || c.isNumber || c.isPunctuation { value.append(c) }
            case .number:
                if value.count < 12, c.isASCII, c.isNumber || (c == "-" && value.isEmpty) { value.append(c) }
            case .choice(let options):
                // Typing the first letter of a choice selects it.
                if let match = options.first(where: { $0.lowercased().hasPrefix(String(c).lowercased()) }) { value = match }
            }
        }

        mutating func deleteBackward() {
            if case .choice = kind { return }
            if !value.isEmpty { value.removeLast() }
        }

        mutating func cycle(_ delta: Int) {
            guard case .choice(let options) = kind, !options.isEmpty else { return }
            let i = options.firstIndex(of: value) ?? 0
            value = options[(i + delta + options.count) % options.count]
        }
    }

    var purpose: Purpose
    var title: String
    var fields: [Field]
    var focus = 0
    var error: String?

    func value(_ label: String) -> String { fields.first { $0.label == label }?.value ?? "" }

    mutating func focus(on label: String) {
        if let i = fields.firstIndex(where: { $0.label == label }) { focus = i }
    }
}

/// Why a form was refused: the message shown in the form and the field to focus.
struct FormError: Error, Equatable, Sendable {
    var field: String
    var message: String
}

/// Parsing helpers with the exact error wording the tests assert.
enum FormCheck {
    /// A whole number within bounds.
    static func integer(_ text: String, field: String, label: String, in range: ClosedRange<Int>, unit: String = "")
        throws(FormError) -> Int {
        let t = text.trimmingSpaces
        guard !t.isEmpty else { throw FormError(field: field, message: "\(label) is required") }
        guard let n = Int(t) else { throw FormError(field: field, message: "\(label) must be a whole number") }
        guard range.contains(n) else {
            let suffix = unit.isEmpty ? "" : " " + unit
            throw FormError(field: field, message: "\(label) must be between \(range.lowerBound) and \(range.upperBound)\(suffix)")
        }
        return n
    }

    /// A task comm or lock name: 1 to `max` characters, no spaces.
    static func name(_ text: String, field: String, label: String, max: Int) throws(FormError) -> String {
        let t = text.trimmingSpaces
        guard !t.isEmpty else { throw FormError(field: field, message: "\(label) must not be empty") }
        guard !t.contains(" ") else { throw FormError(field: field, message: "\(label) must not contain spaces") }
        guard t.count <= max else { throw FormError(field: field, message: "\(label) must be at most \(max) characters") }
        return t
    }

    /// A cgroup path as the scenario file writes it ("/pod-a/app").
    static func cgroupPath(_ text: String, field: String) throws(FormError) -> CgroupPath {
        do {
            return try CgroupPath.parse(text.trimmingSpaces, at: SourceLocation(file: field, line: 1, column: 1))
        } catch {
            throw FormError(field: field, message: error.message)
        }
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
