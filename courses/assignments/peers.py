"""Who gives feedback on whose work: a deterministic round-robin inside each study group.

The handed-in works of a group are ordered by id; work i is given to the authors of works i+1
and i+2 (wrapping round). Each work so gets two peers and each teacher two works, never their
own (a teacher has one work per assignment). A group of two swaps its works; a teacher alone
in a group gets none.
"""

from collections import defaultdict

PEERS_PER_WORK = 2


def round_robin(works: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """[(submission id, author id)] of one group -> [(submission id, peer author id)]."""
    ordered = sorted(works)
    count = len(ordered)
    pairs = []
    for index, (submission_id, author_id) in enumerate(ordered):
        for step in range(1, min(PEERS_PER_WORK, count - 1) + 1):
            peer_author = ordered[(index + step) % count][1]
            if peer_author != author_id:
                pairs.append((submission_id, peer_author))
    return pairs


def allocation_by_group(rows) -> list[tuple[int, int]]:
    """rows of (group id, submission id, author id) -> pairs for every group at once."""
    by_group = defaultdict(list)
    for group_id, submission_id, author_id in rows:
        if group_id is not None:
            by_group[group_id].append((submission_id, author_id))
    pairs = []
    for works in by_group.values():
        pairs += round_robin(works)
    return pairs
