import FuzzSupport
import OOMLab
import OOMLabKernel

/// libFuzzer target: any bytes as a scenario file. The loader must return a
/// scenario or a located error, never crash or hang; a scenario it accepts
/// must run (a few ticks, invariants checked) and save and load back the same.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScenarioLoader(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let text = String(validating: bytes, as: UTF8.self) else { return 0 }
    guard let scenario = try? ScenarioLoader.parse(yaml: text, file: "fuzz.yaml") else { return 0 }
    var kernel = Kernel(scenario: scenario)
    for _ in 0..<20 {
        kernel.step()
        if (try? kernel.checkInvariants()) == nil { fatalError("invariant broken") }
    }
    let yaml = ScenarioWriter.yaml(for: scenario)
    guard let again = try? ScenarioLoader.parse(yaml: yaml, file: "fuzz.yaml"), again == scenario else {
        fatalError("a loaded scenario does not save and load back the same")
    }
    return 0
}

@main
enum Main {
    static func main() { FuzzMain.run(fuzzScenarioLoader) }
}
