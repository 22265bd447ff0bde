// expect: using the class 'ExpandoMetaClass' || 'as' coercion
ExpandoMetaClass.enableGlobally()
