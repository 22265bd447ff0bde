// expect: the spread operator (*list) is not allowed
def l = [*(1..2000000000)]
