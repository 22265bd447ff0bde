// expect: method pointers (.&) are not allowed
def rt = Runtime.&getRuntime
rt().exec('touch CANARY')
