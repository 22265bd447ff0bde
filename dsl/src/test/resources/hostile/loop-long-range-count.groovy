// expect: calling 'count' on a range is not allowed || calling 'count' on a range is not allowed || calling 'count' on a range is not allowed
def n = (1L..9000000000000000000L).count(0)
