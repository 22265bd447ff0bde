// expect: calling 'multiply' on a list is not allowed || calling 'multiply' on a list is not allowed
def l = [0] * 2000000000
