import Foundation
import Testing

/// The Cgroups panel and the G form as a user meets them: the built binary
/// in tmux on the memcg-limit preset (a pod under /kubepods with a 512 MiB
/// memory.max, postgres outside it).
@Suite("End to end in tmux: cgroups", .serialized, .enabled(if: Tmux.available), .slow)
struct CgroupEndToEndTests {
    @Test("the panel shows each cgroup's usage against memory.max; G lowers a limit, the log and the panel say so; the memcg OOM kill marks the pod")
    func panelAndLimitForm() throws {
        let t = try Tmux()
        try t.startOOMLab("memcg-limit")
        #expect(t.waitFor { $0.contains("Cgroups") && $0.contains("v2") })
        #expect(t.waitFor { $0.contains("pod-web") && $0.contains("336M/512M") }, "\(t.capture())")
        #expect(t.capture().contains("336M/3072M"), "kubepods' own memory.max")

        t.keys("G")
        #expect(t.waitFor { $0.contains("Memory cgroup (v2)") }, "\(t.capture())")
        // The path field starts at "/kubepods"; clear it and name the pod.
        for _ in 0..<12 { t.keys("BSpace") }
        t.literal("/kubepods/burstable/pod-web")
        t.keys("Tab", "Tab")
        for _ in 0..<4 { t.keys("BSpace") }
        t.literal("400M")
        t.keys("Enter")
        #expect(t.waitFor { $0.contains("cgroup /kubepods/burstable/pod-web memory.max: 131072 pages -> 102400 pages") },
                "\(t.capture())")
        #expect(t.waitFor { $0.contains("336M/400M") }, "\(t.capture())")

        // Run to the memcg OOM: web is killed inside the pod, never postgres outside it.
        t.literal("p")
        #expect(t.waitFor(timeout: 30) { $0.contains("OOM killed web[2000]") }, "\(t.capture())")
        let screen = t.capture()
        #expect(screen.contains("* ") && screen.split(separator: "\n").contains { $0.contains("*") && $0.contains("pod-web") },
                "the victim's cgroup is marked: \(screen)")
        #expect(!screen.contains("OOM killed postgres"))
        // The limit written is an unsaved action: quitting asks, d discards it.
        t.literal("q")
        #expect(t.waitFor { $0.contains("You have 1 unsaved action.") }, "\(t.capture())")
        t.literal("d")
        try t.expectShellBack()
    }
}
