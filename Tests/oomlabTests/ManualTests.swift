import Foundation
import Testing

/// docs/oomlab.1 is generated from the command definitions by
/// swift-argument-parser's manual generator (scripts/update-manual.sh). This
/// test reads the same definitions from the binary (`--experimental-dump-help`,
/// the generator's own input) and fails when the page lacks a command, an
/// option or a help text, or has one the commands no longer have.
@Suite("The man page is current", .slow)
struct ManualTests {
    struct Command: Decodable {
        var commandName: String
        var abstract: String?
        var discussion: String?
        var arguments: [Argument]?
        var subcommands: [Command]?
    }

    struct Argument: Decodable {
        struct Name: Decodable { var kind: String; var name: String }
        var names: [Name]?
        var abstract: String?
        var discussion: String?
        var shouldDisplay: Bool
    }

    struct Dump: Decodable { var command: Command }

    @Test("every command, option and help text is in docs/oomlab.1, and nothing else (else run scripts/update-manual.sh)")
    func current() throws {
        let r = try Binary.run(["--experimental-dump-help"])
        #expect(r.status == 0)
        let root = try JSONDecoder().decode(Dump.self, from: Data(r.stdout.utf8)).command
        let page = try String(contentsOf: Binary.packageRoot.appendingPathComponent("docs/oomlab.1"), encoding: .utf8)
        let stale = "docs/oomlab.1 is stale: run scripts/update-manual.sh"
        var longNames = Set<String>()
        var commandNames = Set<String>()
        func visit(_ c: Command, top: Bool) {
            if !top { commandNames.insert(c.commandName) }
            for text in [c.abstract, c.discussion].compactMap({ $0 }) where !text.isEmpty {
                #expect(page.contains(text), "\(c.commandName): \(text.prefix(60))... \(stale)")
            }
            for a in c.arguments ?? [] where a.shouldDisplay {
                if let abstract = a.abstract, !abstract.isEmpty {
                    #expect(page.contains(abstract), "\(c.commandName): \(abstract) \(stale)")
                }
                for n in a.names ?? [] where n.kind == "long" { longNames.insert(n.name) }
            }
            for s in c.subcommands ?? [] { visit(s, top: false) }
        }
        visit(root, top: true)
        // And the other way: nothing on the page that the commands lost.
        let lines = page.split(separator: "\n").map(String.init)
        let pageCommands = Set(lines.filter { $0.hasPrefix(".It Em ") }.map { String($0.dropFirst(".It Em ".count)) })
        #expect(pageCommands == commandNames, "\(stale)")
        // ".It Fl c , -compute", ".It Fl -set Ar KEY=VALUE...": the long names are the words "-NAME".
        let pageOptions = Set(lines.flatMap { line -> [String] in
            guard line.hasPrefix(".It Fl") || line.hasPrefix(".Op Fl") else { return [] }
            return line.split(separator: " ").filter { $0.hasPrefix("-") && $0.count > 1 }.map { String($0.dropFirst()) }
        })
        #expect(pageOptions == longNames, "missing: \(longNames.subtracting(pageOptions)), extra: \(pageOptions.subtracting(longNames)); \(stale)")
        #expect(commandNames.contains("run") && longNames.contains("ticks") && longNames.contains("format"))
    }

    @Test("shell completion scripts complete preset names by asking oomlab")
    func completion() throws {
        for shell in ["bash", "zsh", "fish"] {
            let r = try Binary.run(["--generate-completion-script", shell])
            #expect(r.status == 0, "\(shell)")
            #expect(r.stdout.contains("---completion"), "\(shell): the scenario argument's custom completion calls back into oomlab")
        }
        // What the shell gets back when it asks (run's first argument).
        // As the bash script asks: the word index, the cursor in the word, then the words.
        let asked = try Binary.run(["---completion", "run", "--", "positional@0", "2", "0", "oomlab", "run", ""],
                                   in: FileManager.default.temporaryDirectory)
        #expect(asked.status == 0)
        let words = asked.stdout.split(separator: "\n").map(String.init)
        #expect(words.contains("xfs-kmem-alloc-loop") && words.contains("oom-reaper"), "\(asked.stdout)")
    }
}
