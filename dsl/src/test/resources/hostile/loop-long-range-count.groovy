// expect: calling 'count' on a LongRange is not allowed || calling 'count' on an ObjectRange is not allowed || calling 'count' on a Range is not allowed
def n = (1L..9000000000000000000L).count(0)
