// expect: calling 'find' on text is not allowed
def m = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'.find(/(a+)+$/)
