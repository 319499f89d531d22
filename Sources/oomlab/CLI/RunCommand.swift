import ArgumentParser
import OOMLab

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Step a scenario headless and print its trace and verdict."
    )
    func run() throws {
        print("not yet")
    }
}
