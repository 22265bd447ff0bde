// expect: calling 'plus' on a list is not allowed
def l = [0]
def all = l + (1..2000000000)
