// expect: calling 'toList' on a range is not allowed
def l = (1..2000000000).toList()
