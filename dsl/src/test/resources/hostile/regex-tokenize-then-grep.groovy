// expect: regular expressions (~/…/) are not allowed
def parts = ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'].grep(~/(a+)+$/)
