// expect: calling 'toString' on a number is not allowed
def l = (1..2000000000)*.toString()
