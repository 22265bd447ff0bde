// expect: declaring a class
@interface Evil {
  String value() default 'x'
}
