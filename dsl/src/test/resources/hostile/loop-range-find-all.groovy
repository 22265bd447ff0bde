// expect: calling 'findAll' on an IntRange is not allowed
def all = (1..2000000000).findAll()
