#!/usr/bin/env python3
"""Copy presets/xfs-kmem-alloc-loop.yaml into DefaultScenario.swift's raw string
(DefaultScenarioTests checks that the two are the same, byte for byte)."""
import pathlib, re
root = pathlib.Path(__file__).resolve().parent.parent
yaml = (root / "presets/xfs-kmem-alloc-loop.yaml").read_text()
swift_path = root / "Sources/OOMLab/Presets/DefaultScenario.swift"
swift = swift_path.read_text()
start = swift.index('#"""\n') + len('#"""\n')
end = swift.index('\n"""#', start)
swift_path.write_text(swift[:start] + yaml + swift[end:])
