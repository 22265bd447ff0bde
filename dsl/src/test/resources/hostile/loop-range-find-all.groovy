// expect: calling 'findAll' on a range is not allowed
def all = (1..2000000000).findAll()
