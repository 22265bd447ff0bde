// expect: calling 'equals' on a range is not allowed
def same = (1..2000000000) == (1..2000000000).collect { it }
