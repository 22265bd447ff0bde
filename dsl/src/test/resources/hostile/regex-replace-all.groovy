// expect: calling 'replaceAll' on text is not allowed
def s = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'.replaceAll('(a+)+$', '')
