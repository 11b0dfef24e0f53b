import h3
import pandas as pd

from lofte_metrics.privacy import rollup, suppress_small


def test_rollup_sums_children_into_their_parent():
    parent = h3.latlng_to_cell(58.95, 16.75, 8)
    children = list(h3.cell_to_children(parent, 9))[:3]
    frame = pd.DataFrame({"cell": children, "count": [1, 2, 3]})
    rolled = rollup(frame, 8)
    assert rolled.to_dict("records") == [{"cell": parent, "count": 6}]


def test_small_cells_are_suppressed_and_counted():
    frame = pd.DataFrame({"cell": ["a", "b", "c"], "count": [12, 4, 5]})
    result = suppress_small(frame, 5)
    assert result.shown["cell"].tolist() == ["a", "c"]
    assert result.hidden_cells == 1 and result.hidden_count == 4
