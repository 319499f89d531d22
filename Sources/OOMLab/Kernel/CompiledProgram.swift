/// Programs as the tick loop runs them: each distinct `[Op]` compiled once
/// into plain instructions (no indirect enum boxes to retain, no nested op
/// arrays), shared by every task made from it. All programs' instructions
/// sit one after another in one array, `ProgramTable.code`, so a program
/// counter is a number into that one array and running an op is one array
/// read, not a read of a program record and then of its own code array.
/// A `repeat` or `transaction` is followed by its body and knows where the
/// body ends, so a frame is a few numbers, not a copy of a list of ops.
extension Kernel {
    /// One instruction. Payloads are numbers: allocation specs and lock
    /// names live in the table's side arrays.
    enum Inst: Equatable, Sendable {
        case alloc(spec: Int32)
        /// pages nil: all of them.
        case free(pages: Int?, kernel: Bool)
        case lock(name: Int32, killable: Bool, mode: LockMode)
        case unlock(name: Int32)
        case touch(pages: Int, rate: Int)
        case sleep(ticks: Int)
        case compute(ticks: Int)
        /// The body is the instructions after this one up to `end`.
        case transaction(reserve: Int, end: Int32)
        /// count nil: forever. The body is the instructions up to `end`.
        case `repeat`(count: Int?, end: Int32)
        case exit

        /// Where execution goes after this instruction, at `pc`, is done:
        /// past the body of a repeat or transaction.
        func next(after pc: Int32) -> Int32 {
            switch self {
            case .transaction(_, let end), .repeat(_, let end): return end
            default: return pc + 1
            }
        }
    }

    /// One program in the table: the ops as the scenario wrote them (every
    /// task made from it shares this array's storage) and its instructions,
    /// `start..<end` of `ProgramTable.code`.
    struct CompiledProgram: Equatable, Sendable {
        var source: [Op]
        var start: Int32
        var end: Int32
    }

    /// Every distinct program once, by its ops (`Kernel.programs`), and the
    /// instructions of all of them.
    struct ProgramTable: Equatable, Sendable {
        var list: [CompiledProgram] = []
        var index: [[Op]: Int32] = [:]
        /// Every program's instructions, in the order they were compiled.
        var code: [Inst] = []
        /// The allocation specs `Inst.alloc` refers to.
        var allocs: [AllocSpec] = []
        /// The lock names `Inst.lock` and `Inst.unlock` refer to.
        var names: [String] = []

        /// The table that compiling `sources` in this order gives
        /// (`checkInvariants` compares the kernel's with it).
        init(compiling sources: [[Op]] = []) {
            for ops in sources { intern(ops) }
        }

        /// The program's number, compiling it the first time.
        @discardableResult
        mutating func intern(_ ops: [Op]) -> Int32 {
            if let k = index[ops] { return k }
            let k = Int32(list.count)
            let start = Int32(code.count)
            emit(ops)
            list.append(CompiledProgram(source: ops, start: start, end: Int32(code.count)))
            index[ops] = k
            return k
        }

        private mutating func emit(_ ops: [Op]) {
            for op in ops {
                switch op {
                case .alloc(let spec):
                    code.append(.alloc(spec: Int32(allocs.count)))
                    allocs.append(spec)
                case .free(let pages, let source):
                    code.append(.free(pages: pages, kernel: source == .kernel))
                case .lock(let name, let wait, let mode):
                    code.append(.lock(name: intern(name: name), killable: wait == .killable, mode: mode))
                case .touch(let pages, let rate):
                    code.append(.touch(pages: pages, rate: rate))
                case .unlock(let name):
                    code.append(.unlock(name: intern(name: name)))
                case .sleep(let ticks):
                    code.append(.sleep(ticks: ticks))
                case .compute(let ticks):
                    code.append(.compute(ticks: ticks))
                case .transaction(let reserve, let body):
                    let at = code.count
                    code.append(.exit)   // placeholder until the body's end is known
                    emit(body)
                    code[at] = .transaction(reserve: reserve, end: Int32(code.count))
                case .repeat(let count, let body):
                    let at = code.count
                    code.append(.exit)
                    emit(body)
                    code[at] = .repeat(count: count, end: Int32(code.count))
                case .exit:
                    code.append(.exit)
                }
            }
        }

        private mutating func intern(name: String) -> Int32 {
            if let k = names.firstIndex(of: name) { return Int32(k) }
            names.append(name)
            return Int32(names.count - 1)
        }

        /// A frame running program `k` from its first instruction.
        func mainFrame(of k: Int32) -> Frame {
            let p = list[Int(k)]
            return Frame(program: k, start: p.start, end: p.end, pc: p.start, remaining: 1, isTransaction: false)
        }
    }

    /// One level of a running program: the main body, a repeat's or a
    /// transaction's body, or an op a user action inserted; instructions
    /// start..<end of `ProgramTable.code` (inside program `program`), at `pc`.
    struct Frame: Equatable, Sendable {
        var program: Int32
        var start: Int32
        var end: Int32
        var pc: Int32
        /// Iterations left for a repeat (nil = forever); 1 for other frames.
        var remaining: Int?
        var isTransaction: Bool
    }

    /// A task's frames, innermost last. The innermost frame, the one every
    /// op reads and moves, is stored in place in the task; only the frames
    /// around it are in an array, which a turn touches only when it enters
    /// or leaves a body.
    struct FrameStack: Equatable, Sendable {
        /// The innermost frame; meaningless when `count` is 0.
        var top: Frame
        /// How many frames (Int32: it fits in `top`'s tail padding).
        private(set) var depth: Int32
        /// The frames around `top`, outermost first.
        private(set) var outer: [Frame]

        var count: Int { Int(depth) }

        init(_ frames: [Frame] = []) {
            top = frames.last ?? Frame(program: 0, start: 0, end: 0, pc: 0, remaining: nil, isTransaction: false)
            depth = Int32(frames.count)
            outer = Array(frames.dropLast())
        }

        var isEmpty: Bool { depth == 0 }

        /// Every frame, outermost first.
        var all: [Frame] { isEmpty ? [] : outer + [top] }

        mutating func push(_ f: Frame) {
            if depth > 0 { outer.append(top) }
            top = f
            depth += 1
        }

        /// Drops the innermost frame; the one around it becomes `top`.
        mutating func pop() {
            guard depth > 0 else { return }
            depth -= 1
            if depth > 0 { top = outer.removeLast() }
        }

        func contains(where match: (Frame) -> Bool) -> Bool {
            depth > 0 && (match(top) || outer.contains(where: match))
        }

        /// Equal stacks have equal frames; `top` of an empty stack is not one.
        static func == (a: FrameStack, b: FrameStack) -> Bool {
            a.depth == b.depth && a.outer == b.outer && (a.depth == 0 || a.top == b.top)
        }
    }
}
