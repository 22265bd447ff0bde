// expect: calling 'replaceAll' on a String is not allowed
def s = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'.replaceAll('(a+)+$', '')
