import Testing
@testable import OOMLabTUI

@Suite("Wrapping text for captions and notes")
struct WrapTests {
    @Test("words fill the width; a word longer than the width is broken")
    func words() {
        #expect(wrap("the OOM killer picks postgres", width: 14) == ["the OOM killer", "picks postgres"])
        #expect(wrap("abcdefghij", width: 4) == ["abcd", "efgh", "ij"])
    }

    @Test("a number keeps its unit on its line: 0.50 s, 150 MiB")
    func units() {
        #expect(wrap("the first at 0.50 s.", width: 17) == ["the first at", "0.50 s."])
        #expect(wrap("postgres uses 150 MiB now", width: 17) == ["postgres uses", "150 MiB now"])
        // A unit after a word that is not a number wraps as any word.
        #expect(wrap("some s", width: 4) == ["some", "s"])
    }
}
