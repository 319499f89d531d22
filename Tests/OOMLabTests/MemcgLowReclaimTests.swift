import Testing
@testable import OOMLab
@testable import OOMLabKernel

/// memory.low and memory.min protect a cgroup's pages from reclaim caused
/// elsewhere: global direct reclaim and kswapd pass them by, direct reclaim
/// takes from memory.low only in a second pass when the first freed nothing
/// (counting `low` events), kswapd never does, and memory.min is never
/// reclaimed; a parent's limit reclaim protects its children the same way
/// (docs/memcg.md §6). Every run checks the invariants after every tick.
@Suite("Memcg protection in reclaim: memory.low, memory.min")
struct MemcgLowReclaimTests {
    /// /a and /b each read `cache` of page cache; from 2 s a task in the
    /// root allocates `hog` in 4 MiB steps on a 256 MiB machine without
    /// swap, so reclaim must find pages in someone's page cache.
    static func yaml(era: String = "modern", a: String, cache: String = "48MiB", hog: String = "200MiB") -> String {
        """
        seed: 1
        machine: {ram: 256MiB, swap: 0}
        policy: {era: \(era)}
        cgroups:
          version: v2
          /a: {\(a)}
          /b: {}
        tasks:
          - {pid: 1, name: init, uid: 0, anon: 1MiB, program: [{sleep: 1h}]}
          - {pid: 10, name: reader-a, cgroup: /a, program: [{read: \(cache)}, {sleep: 1h}]}
          - {pid: 11, name: reader-b, cgroup: /b, program: [{read: \(cache)}, {sleep: 1h}]}
          - pid: 20
            name: hog
            start: 2s
            program:
              - repeat: forever
                body:
                  - alloc: 4MiB
                  - sleep: 1
        """
    }

    /// Steps until `stop` holds or `ticks` pass, checking invariants.
    static func run(_ yaml: String, ticks: Int, until stop: (Kernel) -> Bool = { _ in false }) throws -> Kernel {
        var k = Kernel(scenario: try ScenarioLoader.parse(yaml: yaml, file: "t.yaml"))
        for _ in 0..<ticks where !stop(k) {
            k.step()
            try k.checkInvariants()
        }
        return k
    }

    static func cgroup(_ k: Kernel, _ path: String) throws -> Cgroup {
        k.memcg.tree[try MemcgKernelTests.id(k, path)]
    }

    @Test("global reclaim takes /b's page cache and leaves /a's, below its memory.low, alone", arguments: ["modern", "2015"])
    func lowProtectsFromGlobalReclaim(era: String) throws {
        let mib = Lab.mib
        // Stop once reclaim has taken half of /b's page cache (the readers
        // are done by tick 60, the hog starts at 200): /b still has pages,
        // so the protection alone decides.
        let halfB = { (k: Kernel) in k.tick > 200 && ((try? Self.cgroup(k, "/b").filePages).map { $0 < 24 * mib } ?? false) }
        let k = try Self.run(Self.yaml(era: era, a: "memory.low: 64MiB"), ticks: 3000, until: halfB)
        let a = try Self.cgroup(k, "/a"), b = try Self.cgroup(k, "/b")
        #expect(b.filePages < 24 * mib, "reclaim reached /b's page cache")
        #expect(a.filePages == 48 * mib, "not one page of /a's")
        #expect(a.events.low == 0, "no second pass while /b had pages")
        // Without the protection both lose page cache alike.
        let bare = try Self.run(Self.yaml(era: era, a: ""), ticks: 3000, until: halfB)
        #expect(try Self.cgroup(bare, "/a").filePages < 40 * mib)
    }

    @Test("with nothing else left, direct reclaim's second pass takes /a's memory.low reserve and counts low events")
    func secondPassBreaksLow() throws {
        let k = try Self.run(Self.yaml(a: "memory.low: 64MiB"), ticks: 3000) { !$0.oomKills.isEmpty }
        let a = try Self.cgroup(k, "/a"), b = try Self.cgroup(k, "/b")
        #expect(b.filePages == 0)
        #expect(a.filePages < 48 * Lab.mib, "the reserve was tapped before any OOM kill")
        #expect(a.events.low > 0)
        #expect(b.events.low == 0, "/b has no protection")
    }

    @Test("memory.min is never reclaimed: the OOM killer runs with /a's page cache whole")
    func minIsHard() throws {
        let k = try Self.run(Self.yaml(a: "memory.min: 64MiB"), ticks: 3000) { !$0.oomKills.isEmpty }
        #expect(!k.oomKills.isEmpty, "the hog found no memory and the OOM killer ran")
        let a = try Self.cgroup(k, "/a")
        #expect(a.filePages == 48 * Lab.mib)
        #expect(a.events.low == 0)
        #expect(try Self.cgroup(k, "/b").filePages == 0)
    }

    @Test("kswapd alone never takes memory.low's reserve")
    func kswapdSkipsLow() throws {
        var k = try MemcgKernelTests.kernel(Self.yaml(a: "memory.low: 64MiB"))
        for _ in 0..<150 { k.step() }   // both readers done, the hog not yet started
        let a = try MemcgKernelTests.id(k, "/a")
        let before = k.memcg.tree[a].filePages
        #expect(before == 48 * Lab.mib)
        // Direct reclaim in small rounds until /b's page cache is gone:
        // every round finds /b's pages, so /a is never tapped.
        let b = try MemcgKernelTests.id(k, "/b")
        var rounds = 0
        while k.memcg.tree[b].filePages > 0 && rounds < 10_000 {
            _ = k.tryToFreePages(gfp: .highuserMovable, order: 0, pages: 32)
            rounds += 1
        }
        #expect(k.memcg.tree[b].filePages == 0)
        #expect(k.memcg.tree[a].filePages == before && k.memcg.tree[a].events.low == 0)
        // kswapd's passes, with only /a's page cache left: it never takes it.
        for _ in 0..<50 { k.balancePgdat() }
        #expect(k.memcg.tree[a].filePages == before)
        #expect(k.memcg.tree[a].events.low == 0)
        // Direct reclaim's first pass now frees nothing; its second takes
        // from the reserve and counts the breach.
        let (freed, _) = k.tryToFreePages(gfp: .highuserMovable, order: 0, pages: 32)
        #expect(freed > 0)
        #expect(k.memcg.tree[a].filePages == before - freed)
        #expect(k.memcg.tree[a].events.low == 1)
        try k.checkInvariants()
    }

    @Test("a parent's limit reclaim skips the child under its memory.low while its sibling has page cache")
    func limitReclaimProtectsChildren() throws {
        let yaml = """
            seed: 1
            machine: {ram: 1GiB, swap: 0}
            policy: {era: modern}
            cgroups:
              version: v2
              /pod: {memory.max: 128MiB}
              /pod/db: {memory.low: 64MiB}
              /pod/web: {}
            tasks:
              - {pid: 1, name: init, uid: 0, anon: 1MiB, program: [{sleep: 1h}]}
              - {pid: 10, name: db, cgroup: /pod/db, program: [{read: 48MiB}, {sleep: 1h}]}
              - {pid: 11, name: web, cgroup: /pod/web, program: [{read: 48MiB}, {sleep: 1h}]}
              - pid: 12
                name: app
                cgroup: /pod/web
                start: 2s
                program: [{alloc: 48MiB}, {sleep: 1h}]
            """
        let k = try Self.run(yaml, ticks: 3000)
        let db = try Self.cgroup(k, "/pod/db"), web = try Self.cgroup(k, "/pod/web")
        #expect(k.oomKills.isEmpty)
        #expect(db.filePages == 48 * Lab.mib, "the protected child kept its page cache")
        #expect(web.filePages < 48 * Lab.mib, "the sibling's went to make room")
        #expect(try Self.cgroup(k, "/pod").memory.usage <= 128 * Lab.mib)
        #expect(db.events.low == 0)
    }
}
