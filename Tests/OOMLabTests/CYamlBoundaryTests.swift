import Testing
import Yams
@testable import OOMLab
import OOMLabKernel

/// YAMLPreScan and YAMLComments `import CYaml`, the C libyaml module Yams is
/// built on. Yams exports no CYaml product, so SwiftPM cannot name it as a
/// dependency; the module is visible because the package depends on Yams
/// (Package.swift says so beside the OOMLab target). These tests fail if that
/// stops holding in a way the build does not catch: the pre-scan must run
/// the very parser Yams runs next, so both report a syntax error at the same
/// place.
@Suite("The CYaml boundary: the pre-scan and Yams run the same libyaml")
struct CYamlBoundaryTests {
    static let broken = [
        "name: [1, 2\n",
        "a: b: c\n",
        "key: 'unterminated\n",
        "- a\nb: 1\n",
        "name: x\n  bad indent: 1\n",
        "name: \"tab\\q\"\n",
    ]

    @Test("a syntax error is located at the same line and column by both", arguments: broken)
    func sameLocation(yaml: String) throws {
        var prescan: ScenarioError?
        do { try YAMLPreScan.check(yaml, file: "t.yaml") } catch { prescan = error }
        var yams: ScenarioError?
        do { _ = try Yams.compose(yaml: yaml, .basic) } catch let error as YamlError {
            yams = ScenarioLoader.located(error, file: "t.yaml")
        }
        let p = try #require(prescan, "the pre-scan took broken YAML: \(yaml.debugDescription)")
        let y = try #require(yams, "Yams took broken YAML: \(yaml.debugDescription)")
        #expect(p.location == y.location, "pre-scan \(p) vs Yams \(y)")
    }

    @Test("comments are found by libyaml's tokens, not by a search for #")
    func comments() {
        #expect(YAMLComments.contains(in: "a: 1 # note\n"))
        #expect(!YAMLComments.contains(in: "a: 'x # not a comment'\nb: c#d\n"))
    }
}
