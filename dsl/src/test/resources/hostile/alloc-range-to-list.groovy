// expect: calling 'toList' on an IntRange is not allowed
def l = (1..2000000000).toList()
