import Testing
@testable import OOMLabKernel

/// The task record's size (issue 12: a million tasks in under 300 bytes
/// each) and the out-of-line fields' copy-on-write (OutOfLine.swift).
@Suite struct TaskLayoutTests {
    /// The per-task budget: 376 bytes with the allocation and touch in
    /// line, 272 with them boxed, 264 with oom_score_adj in 16 bits. A field added to Task that breaks it
    /// belongs out of line (or in the padding the field order leaves).
    @Test func taskRecordFitsTheBudget() {
        #expect(MemoryLayout<Kernel.Task>.size <= 264, "Task is \(MemoryLayout<Kernel.Task>.size) bytes")
    }

    /// A copy of the kernel (a keyframe, a fork) shares each task's boxed
    /// allocation; stepping one copy leaves the other's as it was, and the
    /// other then steps to the same state.
    @Test func copiesKeepTheirOwnAllocation() throws {
        let s = Lab.scenario(Lab.machine(ramMiB: 64), [Lab.hog(10, mib: 40)])
        var k = try Kernel(scenario: s)
        _ = try Lab.run(&k, ticks: 2)
        let before = try #require(k.tasks[0].allocation)
        var copy = k
        _ = try Lab.run(&copy, ticks: 1)
        let after = try #require(copy.tasks[0].allocation)
        #expect(after.remaining < before.remaining)
        #expect(k.tasks[0].allocation == before)
        _ = try Lab.run(&k, ticks: 1)
        #expect(k == copy)
    }

    /// A write to a box only one task holds changes it in place.
    @Test func unsharedBoxIsWrittenInPlace() {
        var box: OutOfLine<Kernel.TouchProgress>? = OutOfLine(Kernel.TouchProgress(left: 5, faulted: 0))
        let first = box.map(ObjectIdentifier.init)
        OutOfLine.write(Kernel.TouchProgress(left: 4, faulted: 1), into: &box)
        #expect(box.map(ObjectIdentifier.init) == first)
        #expect(box?.value == Kernel.TouchProgress(left: 4, faulted: 1))
        let shared = box
        OutOfLine.write(Kernel.TouchProgress(left: 3, faulted: 1), into: &box)
        #expect(box.map(ObjectIdentifier.init) != first)
        #expect(shared?.value == Kernel.TouchProgress(left: 4, faulted: 1))
        OutOfLine.write(nil, into: &box)
        #expect(box == nil)
    }
}
