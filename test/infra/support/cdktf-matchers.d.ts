/**
 * Types for the matchers `Testing.setupJest()` registers. cdktf ships them in
 * cdktf/lib/testing/adapters/jest.d.ts, which nothing imports and whose `Matchers<R>` no longer
 * merges with @types/jest's `Matchers<R, T>`.
 */
interface TerraformConstructor {
  readonly tfResourceType: string;
}

declare global {
  namespace jest {
    // biome-ignore lint/complexity/noBannedTypes: the declaration must match @types/jest's exactly.
    interface Matchers<R, T = {}> {
      toHaveResource(resource: TerraformConstructor): R;
      toHaveResourceWithProperties(resource: TerraformConstructor, properties: Record<string, unknown>): R;
      toHaveDataSource(dataSource: TerraformConstructor): R;
      toHaveDataSourceWithProperties(
        dataSource: TerraformConstructor,
        properties: Record<string, unknown>,
      ): R;
      toHaveProvider(provider: TerraformConstructor): R;
      toHaveProviderWithProperties(provider: TerraformConstructor, properties: Record<string, unknown>): R;
      toBeValidTerraform(): R;
    }
  }
}

export {};
