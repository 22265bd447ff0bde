// expect: Unexpected character: '\'
@\u0047rab("org.example:evil:1.0")
def x = 1
