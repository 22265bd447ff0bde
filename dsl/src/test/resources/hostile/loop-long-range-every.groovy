// expect: calling 'every' on a range is not allowed || calling 'every' on a range is not allowed || calling 'every' on a range is not allowed
def all = (1L..9000000000000000000L).every()
