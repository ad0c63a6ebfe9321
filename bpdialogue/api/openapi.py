"""What a view says of itself in the OpenAPI schema, without loading the schema's machinery.

drf-spectacular's `@extend_schema` builds a subclass of the schema class as it decorates, so a
view module using it imports drf-spectacular's generator, and through it `django.test`, into
every web worker (~3.4 MiB each) for the sake of a page few callers fetch. `@documented` only
keeps the same arguments on the method; `bpdialogue.api.schema.DocumentedViews` hands them to
`extend_schema` when the schema is generated."""


def documented(**operation):
    """`@extend_schema(**operation)`, applied when the schema is generated."""

    def keep(view_method):
        view_method.openapi_operation = operation
        return view_method

    return keep
