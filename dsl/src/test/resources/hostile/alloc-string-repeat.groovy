// expect: calling 'repeat' on text is not allowed
def s = 'x'.repeat(2000000000)
