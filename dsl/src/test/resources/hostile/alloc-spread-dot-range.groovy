// expect: calling 'toString' on an Integer is not allowed
def l = (1..2000000000)*.toString()
