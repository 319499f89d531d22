/// Programs as the tick loop runs them: each distinct `[Op]` compiled once
/// into a flat array of plain instructions (no indirect enum boxes to
/// retain, no nested op arrays), shared by every task made from it.
/// A `repeat` or `transaction` is followed by its body and knows where the
/// body ends, so a frame is four numbers into one program, not a copy of a
/// list of ops.
extension Kernel {
    /// One instruction. Payloads are numbers: allocation specs and lock
    /// names live in the program's side tables.
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
    }

    struct CompiledProgram: Equatable, Sendable {
        /// The program as the scenario wrote it (every task made from it
        /// shares this array's storage as its `program`).
        var source: [Op]
        var code: [Inst] = []
        var allocs: [AllocSpec] = []
        var names: [String] = []

        init(_ ops: [Op]) {
            source = ops
            emit(ops)
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
                    code.append(.lock(name: intern(name), killable: wait == .killable, mode: mode))
                case .touch(let pages, let rate):
                    code.append(.touch(pages: pages, rate: rate))
                case .unlock(let name):
                    code.append(.unlock(name: intern(name)))
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

        private mutating func intern(_ name: String) -> Int32 {
            if let k = names.firstIndex(of: name) { return Int32(k) }
            names.append(name)
            return Int32(names.count - 1)
        }

        /// Where execution goes after the instruction at `pc` is done: past
        /// the body of a repeat or transaction.
        func next(after pc: Int) -> Int {
            switch code[pc] {
            case .transaction(_, let end), .repeat(_, let end): return Int(end)
            default: return pc + 1
            }
        }
    }

    /// Every distinct program once, by its ops (`Kernel.programs`).
    struct ProgramTable: Equatable, Sendable {
        var list: [CompiledProgram] = []
        var index: [[Op]: Int32] = [:]

        /// The program's number, compiling it the first time.
        mutating func intern(_ ops: [Op]) -> Int32 {
            if let k = index[ops] { return k }
            let k = Int32(list.count)
            list.append(CompiledProgram(ops))
            index[ops] = k
            return k
        }
    }

    /// One level of a running program: the main body, a repeat's or a
    /// transaction's body, or an op a user action inserted; instructions
    /// start..<end of program `program`, at `pc`.
    struct Frame: Equatable, Sendable {
        var program: Int32
        var start: Int32
        var end: Int32
        var pc: Int32
        /// Iterations left for a repeat (nil = forever); 1 for other frames.
        var remaining: Int?
        var isTransaction: Bool
    }
}
