// expect: calling 'find' on a String is not allowed
def m = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'.find(/(a+)+$/)
