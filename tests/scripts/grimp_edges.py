"""Prints grimp's internal import edges of a package as JSON lines.

Usage: python3 grimp_edges.py SRC_DIR PACKAGE
Output: {"modules": [...], "edges": [[importer, imported], ...]}
"""
import json
import sys

import grimp

src, package = sys.argv[1], sys.argv[2]
sys.path.insert(0, src)
graph = grimp.build_graph(package, cache_dir=None)
edges = []
for m in sorted(graph.modules):
    for t in sorted(graph.find_modules_directly_imported_by(m)):
        edges.append([m, t])
json.dump({"modules": sorted(graph.modules), "edges": edges}, sys.stdout)
