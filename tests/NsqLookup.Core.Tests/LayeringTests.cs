using System.Reflection;
using NsqLookup.Registry;

namespace NsqLookup.Core.Tests;

/// <summary>
/// One direction through Core: the protocol acts on the registry, the registry knows nothing of the wire. No type in
/// <c>NsqLookup.Registry</c> names a <c>NsqLookup.Protocol</c> type in its fields, properties, constructors or methods;
/// the name rules both need (<see cref="Names"/>) live in the root namespace. Core itself knows nothing of the daemon.
/// </summary>
public sealed class LayeringTests
{
    private const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance
        | BindingFlags.Static | BindingFlags.DeclaredOnly;

    [Fact]
    public void TheRegistry_DoesNotReferenceTheProtocol()
    {
        var registry = typeof(RegistrationDB).Assembly.GetTypes().Where(t => t.Namespace == "NsqLookup.Registry").ToList();
        registry.Should().NotBeEmpty();
        var offenders = registry.SelectMany(t => Referenced(t).Where(IsProtocol).Select(r => $"{t.Name} -> {r.Name}")).Distinct();
        offenders.Should().BeEmpty();
    }

    /// <summary>Core is protocol and registry only: no server, no ASP.NET, no daemon. And this project tests
    /// Core alone; the daemon's types are unit-tested in NsqLookup.Tests.</summary>
    [Fact]
    public void CoreAndItsTests_ReferenceNeitherTheDaemonNorAspNetCore()
    {
        var core = typeof(RegistrationDB).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
        core.Should().NotContain("nsqlookupd").And.NotContain(n => n!.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        typeof(LayeringTests).Assembly.GetReferencedAssemblies().Select(a => a.Name).Should().NotContain("nsqlookupd");
    }

    [Fact]
    public void TheNameRules_AreNeutral() => typeof(Names).Namespace.Should().Be("NsqLookup");

    private static bool IsProtocol(Type type) =>
        (type.IsArray || type.IsByRef ? type.GetElementType()! : type) is var t
        && (t.Namespace == "NsqLookup.Protocol" || (t.IsGenericType && t.GetGenericArguments().Any(IsProtocol)));

    private static IEnumerable<Type> Referenced(Type type)
    {
        if (type.BaseType is { } baseType)
        {
            yield return baseType;
        }

        foreach (var f in type.GetFields(All))
        {
            yield return f.FieldType;
        }

        foreach (var p in type.GetProperties(All))
        {
            yield return p.PropertyType;
        }

        foreach (var m in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
        {
            if (m is MethodInfo info)
            {
                yield return info.ReturnType;
            }

            foreach (var p in m.GetParameters())
            {
                yield return p.ParameterType;
            }
        }
    }
}
