import FuzzSupport
import OOMLab
import OOMLabKernel

/// libFuzzer target: any bytes as a session file (a scenario plus
/// `timeline:` and `at:`, presets/README.md "Sessions"). The session loader
/// must return a session or a located error, never crash or hang; a session
/// it accepts must save (SessionWriter) and load back the same, and replaying
/// it (`Run(session:)`, which applies every action at its tick and may refuse
/// one with a located error) must keep the kernel's invariants.
///
/// The replay is bounded to the first `replayTicks` ticks: the entries after
/// that are dropped and `at` is clamped, so a session with `ticks: 10h`
/// costs what a short one does. Every action kind can still be stamped inside
/// the window, which is what the replay exercises; a long replay is the same
/// per-tick code run longer (RunTimelineTests, SessionFileTests).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSessionLoader(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let text = String(validating: bytes, as: UTF8.self) else { return 0 }
    guard let session = try? SessionLoader.parse(yaml: text, file: "fuzz.yaml") else { return 0 }
    let yaml = SessionWriter.yaml(for: session)
    guard let again = try? SessionLoader.parse(yaml: yaml, file: "fuzz.yaml"), again == session else {
        fatalError("a loaded session does not save and load back the same")
    }
    let replayTicks = 40
    let window = Session(scenario: session.scenario,
                         timeline: Timeline(session.timeline.entries.filter { $0.tick <= replayTicks }),
                         at: min(session.at, replayTicks))
    guard let run = try? Run(session: window) else { return 0 }
    if (try? run.kernel.checkInvariants()) == nil { fatalError("invariant broken replaying a session") }
    return 0
}

@main
enum Main {
    static func main() { FuzzMain.run(fuzzSessionLoader) }
}
