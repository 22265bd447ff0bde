// expect: 'class' is not allowed
def methods = String.class.declaredMethods
