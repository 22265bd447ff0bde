// expect: method pointers (.&) are not allowed
def j = this.&job
j('a') { }
