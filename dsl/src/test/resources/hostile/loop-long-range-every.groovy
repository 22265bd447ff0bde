// expect: calling 'every' on a LongRange is not allowed || calling 'every' on an ObjectRange is not allowed || calling 'every' on a Range is not allowed
def all = (1L..9000000000000000000L).every()
