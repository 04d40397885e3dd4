//! [`InvitationRepository`] on SQL.

use async_trait::async_trait;
use fakturo_domain::access::ports::InvitationRepository;
use fakturo_domain::access::team::Invitation;
use fakturo_domain::access::user::Role;
use fakturo_domain::kernel::email::EmailAddress;
use fakturo_domain::kernel::pagination::{Page, PageRequest};
use fakturo_domain::kernel::repository::RepositoryError;
use fakturo_domain::kernel::tokens::TokenDigest;
use fakturo_domain::{InvitationId, TenantId, UserId};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entities::invitation;
use crate::errors::{corrupt, translate};
use crate::store::SqlUnitOfWork;

#[async_trait]
impl InvitationRepository for SqlUnitOfWork {
    async fn insert(&self, i: &Invitation) -> Result<(), RepositoryError> {
        invitation::Entity::insert(invitation::ActiveModel::from(into_model(i)))
            .exec_without_returning(&self.txn)
            .await
            .map_err(translate)?;
        Ok(())
    }

    async fn get(&self, tenant: TenantId, id: InvitationId) -> Result<Option<Invitation>, RepositoryError> {
        invitation::Entity::find_by_id((tenant.as_uuid(), id.as_uuid()))
            .one(&self.txn)
            .await
            .map_err(translate)?
            .map(into_domain)
            .transpose()
    }

    async fn find_by_token(&self, digest: &TokenDigest) -> Result<Option<Invitation>, RepositoryError> {
        invitation::Entity::find()
            .filter(invitation::Column::TokenDigest.eq(digest.as_str()))
            .one(&self.txn)
            .await
            .map_err(translate)?
            .map(into_domain)
            .transpose()
    }

    async fn list(&self, tenant: TenantId, page: PageRequest) -> Result<Page<Invitation>, RepositoryError> {
        let mut query = invitation::Entity::find().filter(invitation::Column::TenantId.eq(tenant.as_uuid()));
        if let Some(after) = page.after {
            query = query.filter(invitation::Column::Id.lt(after));
        }
        let rows = query
            .order_by_desc(invitation::Column::Id)
            .limit(u64::from(page.limit) + 1)
            .all(&self.txn)
            .await
            .map_err(translate)?;
        let invitations = rows.into_iter().map(into_domain).collect::<Result<Vec<_>, _>>()?;
        Ok(Page::from_overfetch(invitations, page.limit, |i| i.id.as_uuid()))
    }

    async fn update(&self, i: &Invitation) -> Result<bool, RepositoryError> {
        let active = invitation::ActiveModel::from(into_model(i)).reset_all();
        let result = invitation::Entity::update_many()
            .set(active)
            .filter(invitation::Column::TenantId.eq(i.tenant_id.as_uuid()))
            .filter(invitation::Column::Id.eq(i.id.as_uuid()))
            .exec(&self.txn)
            .await
            .map_err(translate)?;
        Ok(result.rows_affected > 0)
    }
}

fn into_model(i: &Invitation) -> invitation::Model {
    invitation::Model {
        tenant_id: i.tenant_id.as_uuid(),
        id: i.id.as_uuid(),
        email: i.email.as_str().to_owned(),
        role: i.role.as_str().to_owned(),
        invited_by: i.invited_by.as_uuid(),
        token_digest: i.token_digest.as_ref().map(|d| d.as_str().to_owned()),
        created_at: i.created_at,
        expires_at: i.expires_at,
        accepted_at: i.accepted_at,
        revoked_at: i.revoked_at,
    }
}

fn into_domain(model: invitation::Model) -> Result<Invitation, RepositoryError> {
    Ok(Invitation {
        id: InvitationId::from_uuid(model.id),
        tenant_id: TenantId::from_uuid(model.tenant_id),
        email: EmailAddress::parse(&model.email).map_err(|e| corrupt("invitations.email", e))?,
        role: Role::parse(&model.role).ok_or_else(|| corrupt("invitations.role", "unknown role"))?,
        invited_by: UserId::from_uuid(model.invited_by),
        token_digest: model.token_digest.map(TokenDigest::from_stored),
        created_at: model.created_at,
        expires_at: model.expires_at,
        accepted_at: model.accepted_at,
        revoked_at: model.revoked_at,
    })
}
