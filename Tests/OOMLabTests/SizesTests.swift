import Testing
@testable import OOMLab
@testable import OOMLabKernel

@Suite("Sizes, durations and did-you-mean")
struct SizesTests {
    @Test("sizes in pages, rounded up", arguments: [
        ("64", 64), ("64 pages", 64), ("4KiB", 1), ("1K", 1), ("4kb", 1), ("5KiB", 2), ("1B", 1), ("0", 0),
        ("512MiB", 131_072), ("1.5GiB", 393_216), ("1.5 G", 393_216), ("2TiB", 536_870_912), ("1PiB", 1 << 38),
        ("0.001KiB", 1),
    ])
    func sizes(text: String, pages: Int) throws {
        #expect(try Sizes.pages(text) == pages)
    }

    @Test("bad sizes", arguments: [
        ("", Sizes.Failure.malformed), ("MiB", .malformed), ("1.5", .malformed), ("-1MiB", .malformed),
        ("1..5MiB", .malformed), ("1.MiB", .malformed), ("12 parsecs", .malformed),
        ("99999999999TiB", .tooLarge), ("99999999999999999999", .tooLarge), ("9999999999999PiB", .tooLarge),
    ])
    func badSizes(text: String, failure: Sizes.Failure) {
        #expect(throws: failure) { try Sizes.pages(text) }
    }

    @Test("durations in ticks, rounded up", arguments: [
        ("100", 100), ("30s", 3000), ("500ms", 50), ("15ms", 2), ("1.5s", 150), ("2min", 12000), ("1h", 360_000),
        ("7 ticks", 7),
    ])
    func durations(text: String, ticks: Int) throws {
        #expect(try Sizes.ticks(text) == ticks)
    }

    @Test("sizes print in the largest exact binary unit", arguments: [
        (0, "0"), (1, "4KiB"), (3, "12KiB"), (256, "1MiB"), (131_072, "512MiB"), (393_216, "1536MiB"),
        (262_144, "1GiB"), (1 << 38, "1PiB"), (2621, "10484KiB"),
    ])
    func format(pages: Int, text: String) throws {
        #expect(Sizes.format(pages: pages) == text)
        #expect(try Sizes.pages(text) == pages)
    }

    @Test("did you mean: close spellings only")
    func didYouMean() {
        #expect(DidYouMean.suggestion(for: "gpf", in: ["gfp", "order"]) == "gfp")
        #expect(DidYouMean.suggestion(for: "GFP_NOFSS", in: GFPFlags.acceptedNames) == "GFP_NOFS")
        #expect(DidYouMean.suggestion(for: "modren", in: ["2015", "modern"]) == "modern")
        #expect(DidYouMean.suggestion(for: "xyz", in: ["ram", "swap"]) == nil)
        #expect(DidYouMean.suggestion(for: "", in: ["a"]) == nil)
        #expect(DidYouMean.distance(Array("kitten"), Array("sitting")) == 3)
        #expect(DidYouMean.distance(Array("ab"), Array("ba")) == 1)
    }
}
