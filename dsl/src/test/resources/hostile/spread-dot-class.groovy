// expect: 'class' is not allowed
def types = ['a', 'b']*.class
