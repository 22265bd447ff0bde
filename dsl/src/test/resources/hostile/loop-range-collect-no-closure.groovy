// expect: calling 'collect' on an IntRange is not allowed
def all = (1..2000000000).collect()
