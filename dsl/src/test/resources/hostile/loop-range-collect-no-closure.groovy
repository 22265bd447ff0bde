// expect: calling 'collect' on a range is not allowed
def all = (1..2000000000).collect()
