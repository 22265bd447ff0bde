// expect: calling 'equals' on an IntRange is not allowed
def same = (1..2000000000) == (1..2000000000).collect { it }
