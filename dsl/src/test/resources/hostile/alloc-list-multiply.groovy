// expect: calling 'multiply' on an ArrayList is not allowed || calling 'multiply' on a List is not allowed
def l = [0] * 2000000000
