// expect: calling 'repeat' on a String is not allowed
def s = 'x'.repeat(2000000000)
